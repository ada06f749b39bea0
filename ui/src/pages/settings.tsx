/**
 * Settings: compatibility level and mode, globally and per subject. Only the controls the signed-in
 * role may use are shown (from `GET /users/me`); whatever the API still refuses (a mode change on a
 * subject with versions, a read-only subject...) is shown as its own message.
 */
import { useEffect, useState } from 'preact/hooks';
import { useAccess, useSubjectPermissions } from '../access.js';
import { ApiError, api, describeError, path } from '../api.js';
import { ErrorBanner, Loading, Notice } from '../components/status.js';
import { SubjectPicker } from '../components/subject-picker.js';
import { type Loaded, useApi, usePageTitle } from '../hooks.js';
import { replaceParams, subjectHref } from '../router.js';
import { LEVELS, MODES } from '../types.js';

interface Outcome {
  tone: 'ok' | 'error';
  text: string;
}

interface SettingProps {
  id: string;
  label: string;
  options: readonly string[];
  current: string | undefined;
  /** What the current value is, e.g. "set on this subject", "inherited from global". */
  origin?: string;
  editable: boolean;
  save: (value: string) => Promise<void>;
  clear?: { label: string; run: () => Promise<void> };
  describe: (value: string) => string;
}

function Setting({ id, label, options, current, origin, editable, save, clear, describe }: SettingProps) {
  const [value, setValue] = useState(current ?? options[0] ?? '');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  useEffect(() => {
    if (current !== undefined) setValue(current);
  }, [current]);

  const run = async (action: () => Promise<void>, success: string) => {
    setBusy(true);
    setOutcome(undefined);
    try {
      await action();
      setOutcome({ tone: 'ok', text: success });
    } catch (e) {
      setOutcome({
        tone: 'error',
        text: e instanceof ApiError ? `Refused: ${e.message} (error ${e.errorCode})` : describeError(e),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="setting">
      <p class="setting-current">
        <span class="setting-label" id={`${id}-label`}>
          {label}
        </span>{' '}
        <strong data-testid={`${id}-value`}>{current ?? '…'}</strong>
        {origin !== undefined && <span class="muted"> ({origin})</span>}
      </p>
      {editable && (
        <form
          class="toolbar"
          aria-labelledby={`${id}-label`}
          onSubmit={(e) => {
            e.preventDefault();
            run(() => save(value), describe(value));
          }}
        >
          <div class="field">
            <label for={id}>New {label.toLowerCase()}</label>
            <select id={id} value={value} onChange={(e) => setValue(e.currentTarget.value)}>
              {options.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="button primary" disabled={busy}>
            Save
          </button>
          {clear !== undefined && (
            <button
              type="button"
              class="button"
              disabled={busy}
              onClick={() => run(clear.run, `${clear.label}: done.`)}
            >
              {clear.label}
            </button>
          )}
        </form>
      )}
      {outcome !== undefined && <Notice tone={outcome.tone}>{outcome.text}</Notice>}
    </div>
  );
}

/** A GET that answers 404 with `notSetCode` when the value is not set at this level. */
function isNotSet(loaded: Loaded<unknown>, code: number): boolean {
  return loaded.error instanceof ApiError && loaded.error.errorCode === code;
}

export function SettingsPage({ params }: { params: URLSearchParams }) {
  const heading = usePageTitle('Settings');
  const access = useAccess();
  const globalConfig = useApi<{ compatibilityLevel: string }>('/config');
  const globalMode = useApi<{ mode: string }>('/mode');
  const subject = params.get('subject') ?? '';
  const [typed, setTyped] = useState(subject);
  const perms = useSubjectPermissions(subject === '' ? undefined : subject);
  const readOnlyEverywhere =
    access.accessControl && !access.global.writeConfig && !access.global.writeMode && !perms?.writeConfig;

  const send = async (method: 'PUT' | 'DELETE', url: string, body?: unknown) => {
    await api(url, { method, ...(body === undefined ? {} : { body }) });
  };

  return (
    <section>
      <div class="page-head">
        <h1 ref={heading} tabIndex={-1}>
          Settings
        </h1>
        {access.accessControl && (
          <p class="muted">
            {readOnlyEverywhere
              ? `You are signed in with the ${access.role} role: settings are shown, not editable.`
              : `Signed in as ${access.user} (${access.role}): you see the controls your role allows.`}
          </p>
        )}
      </div>

      <section class="card" aria-labelledby="global-title">
        <h2 id="global-title">Global</h2>
        {globalConfig.error !== undefined && <ErrorBanner error={globalConfig.error} />}
        {globalConfig.loading && globalConfig.data === undefined && <Loading />}
        <Setting
          id="global-level"
          label="Compatibility level"
          options={LEVELS}
          current={globalConfig.data?.compatibilityLevel}
          editable={access.global.writeConfig}
          save={async (v) => {
            await send('PUT', '/config', { compatibility: v });
            globalConfig.reload();
          }}
          clear={{
            label: 'Reset to the server default',
            run: async () => {
              await send('DELETE', '/config');
              globalConfig.reload();
            },
          }}
          describe={(v) => `The global compatibility level is now ${v}.`}
        />
        <Setting
          id="global-mode"
          label="Mode"
          options={MODES}
          current={globalMode.data?.mode}
          editable={access.global.writeMode}
          save={async (v) => {
            await send('PUT', '/mode', { mode: v });
            globalMode.reload();
          }}
          describe={(v) => `The global mode is now ${v}.`}
        />
      </section>

      <section class="card" aria-labelledby="subject-settings-title">
        <h2 id="subject-settings-title">Subject</h2>
        <form
          class="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            replaceParams({ subject: typed.trim() });
          }}
        >
          <div class="grow">
            <SubjectPicker id="settings-subject" label="Subject" value={typed} onInput={setTyped} required />
          </div>
          <button type="submit" class="button">
            Show its settings
          </button>
        </form>
        {subject !== '' && (
          <SubjectSettings
            key={subject}
            subject={subject}
            canConfig={perms?.writeConfig === true}
            canMode={perms?.writeMode === true}
            send={send}
          />
        )}
      </section>
    </section>
  );
}

function SubjectSettings({
  subject,
  canConfig,
  canMode,
  send,
}: {
  subject: string;
  canConfig: boolean;
  canMode: boolean;
  send: (method: 'PUT' | 'DELETE', url: string, body?: unknown) => Promise<void>;
}) {
  const effectiveConfig = useApi<{ compatibilityLevel: string }>(
    path`/config/${subject}?defaultToGlobal=true`,
  );
  const ownConfig = useApi<{ compatibilityLevel: string }>(path`/config/${subject}`);
  const effectiveMode = useApi<{ mode: string }>(path`/mode/${subject}?defaultToGlobal=true`);
  const ownMode = useApi<{ mode: string }>(path`/mode/${subject}`);
  const reload = () => {
    effectiveConfig.reload();
    ownConfig.reload();
    effectiveMode.reload();
    ownMode.reload();
  };
  const configOrigin = ownConfig.data
    ? 'set on this subject'
    : isNotSet(ownConfig, 40408)
      ? 'inherited from the global level'
      : undefined;
  const modeOrigin = ownMode.data
    ? 'set on this subject'
    : isNotSet(ownMode, 40409)
      ? 'inherited from the global mode'
      : undefined;
  return (
    <div class="subject-settings">
      <h3>
        <a href={subjectHref(subject)} class="subject-name">
          {subject}
        </a>
      </h3>
      {effectiveConfig.error !== undefined && <ErrorBanner error={effectiveConfig.error} />}
      <Setting
        id="subject-level"
        label="Compatibility level"
        options={LEVELS}
        current={effectiveConfig.data?.compatibilityLevel}
        origin={configOrigin}
        editable={canConfig}
        save={async (v) => {
          await send('PUT', path`/config/${subject}`, { compatibility: v });
          reload();
        }}
        clear={{
          label: 'Use the global level',
          run: async () => {
            await send('DELETE', path`/config/${subject}`);
            reload();
          },
        }}
        describe={(v) => `The compatibility level of ${subject} is now ${v}.`}
      />
      <Setting
        id="subject-mode"
        label="Mode"
        options={MODES.filter((m) => m !== 'READONLY_OVERRIDE')}
        current={effectiveMode.data?.mode}
        origin={modeOrigin}
        editable={canMode}
        save={async (v) => {
          await send('PUT', path`/mode/${subject}`, { mode: v });
          reload();
        }}
        clear={{
          label: 'Use the global mode',
          run: async () => {
            await send('DELETE', path`/mode/${subject}`);
            reload();
          },
        }}
        describe={(v) => `The mode of ${subject} is now ${v}.`}
      />
    </div>
  );
}
