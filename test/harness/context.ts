/** What the global setup provides to every test file (vitest inject). */
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of a MariaDB server (no database part); tests create their own databases. */
    mysqlUrl: string;
    /** URL of a Redis server; tests use their own key prefixes or databases. */
    redisUrl: string;
  }
}
