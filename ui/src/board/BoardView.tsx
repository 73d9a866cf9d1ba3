export function BoardView(_props: Record<string, unknown>) {
  return <p>todo</p>;
}
