import { InvalidArgumentError } from 'commander';

/** Parses a whole-number option with commander's own error type, so a bad value is a usage error (exit 2) in one sentence. */
export function wholeNumber(name: string, min: number, max: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max)
      throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
    return parsed;
  };
}
