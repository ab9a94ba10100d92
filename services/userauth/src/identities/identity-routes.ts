import type { Request, Response, Server } from 'restify';
import { parseIdentity } from './identity-input.js';
import type { IdentityService } from './identity-service.js';

/** POST /find-or-create-identity: the user an OpenID Connect account signs in as (201 when new). */
export function registerIdentityRoutes(server: Server, identities: IdentityService): void {
  server.post('/find-or-create-identity', async (req: Request, res: Response) => {
    const { user, created } = await identities.findOrCreate(parseIdentity(req.body));
    res.send(created ? 201 : 200, { user, created });
  });
}
