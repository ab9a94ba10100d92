import { AppError } from '@notes/kit';
import type { UserauthClient } from '@notes/userauth/client';
import { Authenticator } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { SessionUser } from '../users/session-user.js';
import { ACCOUNT_SERVICE_UNAVAILABLE, type UserDirectory } from '../users/user-directory.js';

/**
 * A Passport instance (not the global one, so several apps can live in one process) with the local
 * strategy checking passwords through svc-userauth. Only the username goes into the session.
 */
export type NotesPassport = InstanceType<typeof Authenticator>;

export function createPassport(client: UserauthClient, users: UserDirectory): NotesPassport {
  const passport = new Authenticator();
  passport.use(
    new LocalStrategy(
      { usernameField: 'username', passwordField: 'password' },
      (username, password, done) => {
        client
          .passwordCheck(username, password)
          .then(async (result) => {
            if (!result.check) return done(null, false, { message: 'Incorrect username or password' });
            const user = await users.find(result.username);
            if (!user) return done(null, false, { message: 'Incorrect username or password' });
            users.remember(user);
            return done(null, user);
          })
          .catch((err: unknown) => {
            // A 400 from userauth (e.g. a malformed name) is a failed login, not a server error.
            if (err instanceof AppError && (err.code === 'invalid' || err.code === 'not_found'))
              return done(null, false, { message: 'Incorrect username or password' });
            // The client's message names userauth's internal address: never show it to a visitor.
            if (
              err instanceof AppError &&
              err.code === 'unavailable' &&
              err.message !== ACCOUNT_SERVICE_UNAVAILABLE
            )
              return done(AppError.unavailable(ACCOUNT_SERVICE_UNAVAILABLE, err));
            return done(err);
          });
      },
    ),
  );
  passport.serializeUser<string>((user, done) => done(null, (user as SessionUser).username));
  passport.deserializeUser<string>((username, done) => {
    users.find(username).then(
      (user) => done(null, user ?? false),
      (err: unknown) => done(err),
    );
  });
  return passport;
}
