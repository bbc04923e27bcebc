// The one error for "the user asked wrongly", shared by the command parser, the size parsers and
// the wizard; the CLI exits with status 2 for it.

/** The user asked wrongly; the CLI exits with status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
