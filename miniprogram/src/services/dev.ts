// Development-mode endpoints (404 on a production server).
import type { Persona } from '../types/api';
import { request } from '../utils/request';

/** `GET /dev/personas`: the demo people one may sign in as. */
export async function listPersonas(): Promise<Persona[]> {
  const body = await request<{ items: Persona[] }>({ method: 'GET', path: '/dev/personas', auth: false });
  return body.items;
}
