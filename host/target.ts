/** Options every command takes: which device (or this machine), and the output form. */
export interface TargetOptions {
  readonly serial?: string;
  readonly local?: boolean;
  readonly json?: boolean;
}
