import { createContext, useContext } from 'react';
import type { Session } from '../api/session';
import { can, type Action } from '../lib/roles';

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a logged-in page');
  return session;
}

/** Whether the logged-in role may take this action (the console shows only what it may). */
export function useCan(action: Action): boolean {
  return can(useContext(SessionContext)?.role, action);
}
