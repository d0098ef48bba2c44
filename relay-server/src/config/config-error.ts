/** A configuration problem, worded as `config: <field>: <what is wrong>` so an operator knows what to fix. */
export class ConfigError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`config: ${field}: ${reason}`);
    this.name = 'ConfigError';
  }
}
