/** Every environment variable the relay reads starts with this. */
export const ENV_PREFIX = 'SWITCHBOARD_RELAY_';
