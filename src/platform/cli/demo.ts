export async function runDemo(_serve: unknown): Promise<void> {
  throw new Error('demo: not yet');
}
