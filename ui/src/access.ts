/**
 * Who is signed in and what they may do, from `GET /users/me`. Pages ask for a subject's permissions
 * and show only the controls that will be allowed; the API enforces the same rules regardless.
 */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { path } from './api.js';
import { useApi } from './hooks.js';
import type { AccessView, SubjectPermissions } from './types.js';

export const AccessContext = createContext<AccessView | undefined>(undefined);

export function useAccess(): AccessView {
  const access = useContext(AccessContext);
  if (access === undefined) throw new Error('useAccess outside the signed-in app');
  return access;
}

const EVERYTHING = { read: true, register: true, delete: true, writeConfig: true, writeMode: true };

/** A subject's permissions: immediate (all allowed) without access control, fetched with it. */
export function useSubjectPermissions(subject: string | undefined): SubjectPermissions | undefined {
  const access = useAccess();
  const needFetch = access.accessControl && subject !== undefined && subject !== '';
  const answer = useApi<AccessView>(needFetch ? path`/users/me?subject=${subject ?? ''}` : undefined);
  if (subject === undefined || subject === '') return undefined;
  if (!access.accessControl) return { subject, ...EVERYTHING };
  return answer.data?.subjects.find((s) => s.subject === subject);
}
