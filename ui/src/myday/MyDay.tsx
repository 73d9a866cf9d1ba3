export function MyDay(_props: Record<string, unknown>) {
  return <p>todo</p>;
}
