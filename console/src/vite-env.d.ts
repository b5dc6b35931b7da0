/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** `npm run dev` only: an admin bearer token to use instead of a session (never in a build). */
  readonly VITE_PAYRAIL_ADMIN_TOKEN?: string;
}
