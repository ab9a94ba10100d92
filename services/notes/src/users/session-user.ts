/** The logged-in user as pages see it (`req.user`). Only `username` is kept in the session. */
export interface SessionUser {
  username: string;
  displayName: string;
}

declare global {
  namespace Express {
    interface User extends SessionUser {}
  }
}
