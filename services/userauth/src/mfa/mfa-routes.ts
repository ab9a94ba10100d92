import type { Request, Response, Server } from 'restify';
import { parseUsername } from '../users/user-input.js';
import { parseCode, parseEnrol } from './mfa-input.js';
import type { MfaService } from './mfa-service.js';

/** The second-factor endpoints (README "Second factor"); errors go to the one error handler. */
export function registerMfaRoutes(server: Server, mfa: MfaService): void {
  const user = (req: Request) => parseUsername(req.params.username);

  server.get('/mfa/:username', async (req: Request, res: Response) => {
    res.send(200, await mfa.status(user(req)));
  });
  server.post('/mfa/:username/enrol', async (req: Request, res: Response) => {
    res.send(200, await mfa.enrol(user(req), parseEnrol(req.body)));
  });
  server.post('/mfa/:username/confirm', async (req: Request, res: Response) => {
    res.send(200, await mfa.confirm(user(req), parseCode(req.body)));
  });
  server.post('/mfa/:username/verify', async (req: Request, res: Response) => {
    res.send(200, await mfa.verify(user(req), parseCode(req.body)));
  });
  server.del('/mfa/:username', async (req: Request, res: Response) => {
    res.send(200, await mfa.disable(user(req)));
  });
}
