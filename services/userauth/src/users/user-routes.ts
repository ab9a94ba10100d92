import type { Request, Response, Server } from 'restify';
import { parseChanges, parseNewUser, parsePasswordCheck, parseUsername } from './user-input.js';
import type { UserService } from './user-service.js';

/** HTTP only: parse, call the service, send. Errors go to the server's one error handler. */
export function registerUserRoutes(server: Server, users: UserService): void {
  server.post('/create-user', async (req: Request, res: Response) => {
    res.send(201, await users.create(parseNewUser(req.body)));
  });

  server.post('/find-or-create', async (req: Request, res: Response) => {
    const { user, created } = await users.findOrCreate(parseNewUser(req.body));
    res.send(created ? 201 : 200, user);
  });

  server.get('/find/:username', async (req: Request, res: Response) => {
    res.send(200, await users.find(parseUsername(req.params.username)));
  });

  server.get('/list', async (_req: Request, res: Response) => {
    res.send(200, await users.list());
  });

  server.post('/update-user/:username', async (req: Request, res: Response) => {
    const username = parseUsername(req.params.username);
    res.send(200, await users.update(username, parseChanges(req.body, username)));
  });

  server.del('/destroy/:username', async (req: Request, res: Response) => {
    await users.destroy(parseUsername(req.params.username));
    res.send(200, {});
  });

  server.post('/password-check', async (req: Request, res: Response) => {
    const { username, password } = parsePasswordCheck(req.body);
    res.send(200, await users.passwordCheck(username, password));
  });
}
