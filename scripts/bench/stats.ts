// Small helpers the benchmarks share: percentiles and a fixed-width report line.
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function ms(n: number): string {
  return `${n.toFixed(n < 10 ? 2 : 1)} ms`;
}

export function report(label: string, samples: number[]): { p50: number; p99: number } {
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  console.log(`${label.padEnd(44)} n=${String(samples.length).padStart(4)}  p50 ${ms(p50).padStart(10)}  p99 ${ms(p99).padStart(10)}`);
  return { p50, p99 };
}

export function ratio(label: string, a: number, b: number): void {
  console.log(`${label.padEnd(44)} ${(a / b).toFixed(2)}x`);
}
