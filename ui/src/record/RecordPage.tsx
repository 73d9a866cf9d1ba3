export function RecordPage(_props: Record<string, unknown>) {
  return <p>todo</p>;
}
