/**
 * A stand-in for Mattermost's System Console page of one plugin, doing what
 * SchemaAdminSettings + CustomPluginSettings do for it (mattermost/mattermost,
 * webapp/channels/src/components/admin_console): window.registerPlugin, a registry whose
 * registerAdminConsoleCustomSetting keys components by lower-cased setting key, one input per
 * setting with the config path as its id, the props a custom setting gets, and Save =
 * patchConfig first, then every registered save action. The config comes from Mattermost's API
 * (the emulator behind the harness): sanitized, secrets masked, and the answer of the patch
 * becomes the page's saved config, as in Mattermost. The header, footer and help texts are
 * Markdown, rendered as SchemaAdminSettings renders them (header banner, footer after the
 * settings). Built with the plugin's own globals mapping, so it renders with the same
 * window.React as the bundle.
 */
import { marked } from 'marked';
import { useState, type ComponentType } from 'react';
import type { CustomSettingProps, SaveAction, SaveActionResult } from '../../webapp/src/types.js';
import type { ManifestSetting, PluginManifest } from '../../plugin-contract/manifest.js';

interface Registration { key: string; options: { showTitle: boolean } | undefined }
interface Harness {
  registeredId?: string;
  registrations: Registration[];
  saveResults: SaveActionResult[][];
  /** The saved config as the page has it (sanitized, from Mattermost). */
  config: Record<string, any>;
  setTheme(theme: 'light' | 'dark'): void;
}
declare global {
  interface Window {
    harness: Harness;
    HARNESS_MANIFEST: PluginManifest;
    plugins: Record<string, { initialize(registry: unknown, store: unknown): void }>;
    ReactDOM: { createRoot(element: Element): { render(node: unknown): void } };
  }
}

const manifest = window.HARNESS_MANIFEST;
const components: Record<string, ComponentType<CustomSettingProps>> = {};
window.plugins = {};
window.harness = {
  registrations: [],
  saveResults: [],
  config: { PluginSettings: { Plugins: {} } },
  setTheme(theme) {
    document.documentElement.classList.toggle('theme-dark', theme === 'dark');
  },
};
window.registerPlugin = (id, plugin) => {
  window.harness.registeredId = id;
  window.plugins[id] = plugin as unknown as Window['plugins'][string];
};
const registry = {
  registerAdminConsoleCustomSetting(key: string, component: ComponentType<CustomSettingProps>, options?: { showTitle: boolean }) {
    window.harness.registrations.push({ key, options });
    components[key.toLowerCase()] = component;
  },
};

const escapedId = manifest.id.replace(/\./g, '+');
const pathOf = (setting: ManifestSetting) => `PluginSettings.Plugins.${escapedId}.${setting.key.toLowerCase()}`;
const savedValue = (config: Record<string, any>, setting: ManifestSetting) => config.PluginSettings?.Plugins?.[manifest.id]?.[setting.key.toLowerCase()];

async function api(method: 'GET' | 'PUT', path: string, body?: unknown): Promise<any> {
  const csrf = document.cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith('MMCSRF='))?.slice(7) ?? '';
  const response = await fetch(path, {
    method, credentials: 'include', body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf, 'content-type': 'application/json' },
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
  return response.json();
}

function Markdown({ text, inline = false }: { text: string | undefined; inline?: boolean }) {
  if (!text) return null;
  const html = inline ? marked.parseInline(text, { async: false }) : marked.parse(text, { async: false });
  return inline ? <span dangerouslySetInnerHTML={{ __html: html }}/> : <div dangerouslySetInnerHTML={{ __html: html }}/>;
}

function Field({ setting, value, onChange }: { setting: ManifestSetting; value: unknown; onChange: (id: string, v: unknown) => void }) {
  const id = pathOf(setting);
  if (setting.type === 'bool') {
    const on = (value ?? setting.default ?? false) === true;
    return (
      <>
        {(['true', 'false'] as const).map((v) => (
          <label className='radio-inline' key={v}>
            <input type='radio' name={id} id={`${id}${v}`} value={v} checked={on === (v === 'true')} onChange={() => onChange(id, v === 'true')}/>
            {` ${v}`}
          </label>
        ))}
      </>
    );
  }
  if (setting.type === 'dropdown') {
    return (
      <select className='form-control' id={id} value={String(value ?? setting.options?.[0]?.value ?? '')} onChange={(e) => onChange(id, e.target.value)}>
        {setting.options?.map((o) => <option key={o.value} value={o.value}>{o.display_name}</option>)}
      </select>
    );
  }
  const text = String(value ?? setting.default ?? '');
  return setting.type === 'longtext'
    ? <textarea className='form-control' id={id} rows={5} placeholder={setting.placeholder} value={text} onChange={(e) => onChange(id, e.target.value)}/>
    : <input className='form-control' id={id} type='text' placeholder={setting.placeholder} value={text} onChange={(e) => onChange(id, e.target.value)}/>;
}

function Console({ saved, license }: { saved: Record<string, any>; license: Record<string, string> }) {
  const [config, setConfig] = useState(saved);
  const [state, setState] = useState<Record<string, unknown>>(() => Object.fromEntries(manifest.settings_schema.settings.map((s) => [pathOf(s), savedValue(saved, s)])));
  const [saveActions] = useState(() => new Set<SaveAction>());
  const [saving, setSaving] = useState(false);
  const onChange = (id: string, value: unknown) => setState((s) => ({ ...s, [id]: value }));

  // SchemaAdminSettings.doSubmit: patch the config with every setting's state, then run the save actions.
  const save = async () => {
    setSaving(true);
    const values: Record<string, unknown> = {};
    for (const setting of manifest.settings_schema.settings) {
      if (setting.type !== 'custom') values[setting.key.toLowerCase()] = state[pathOf(setting)] ?? setting.default;
    }
    const next = await api('PUT', '/api/v4/config/patch', { PluginSettings: { Plugins: { [manifest.id]: values } } });
    window.harness.config = next;
    setConfig(next);
    window.harness.saveResults.push(await Promise.all([...saveActions].map((action) => action())));
    setSaving(false);
  };
  return (
    <div className='admin-console'>
      <h1 className='admin-console__header'>{manifest.name}</h1>
      <div className='banner' data-testid='header'><div className='banner__content'><Markdown text={manifest.settings_schema.header}/></div></div>
      {manifest.settings_schema.settings.map((setting) => {
        const id = pathOf(setting);
        const Custom = setting.type === 'custom' ? components[setting.key.toLowerCase()] : undefined;
        if (setting.type === 'custom' && !Custom) {
          return <div className='banner warning' key={id} data-testid='missing-custom'>In order to view this setting, enable the plugin.</div>;
        }
        return (
          <div className='form-group' key={id} data-setting={setting.key}>
            <label className='control-label' htmlFor={id}>{setting.display_name}</label>
            <div className='form-group__body'>
              {Custom ? (
                <Custom
                  id={id} label={setting.display_name} helpText={setting.help_text} value={state[id]} disabled={false}
                  config={config} license={license} setByEnv={false} onChange={onChange} setSaveNeeded={() => undefined}
                  registerSaveAction={(action) => saveActions.add(action)} unRegisterSaveAction={(action) => saveActions.delete(action)}
                />
              ) : <Field setting={setting} value={state[id]} onChange={onChange}/>}
              {setting.help_text ? <div className='help-text'><Markdown text={setting.help_text} inline/></div> : null}
            </div>
          </div>
        );
      })}
      <div className='form-group admin-console__footer' data-testid='footer'><Markdown text={manifest.settings_schema.footer}/></div>
      <div className='admin-console-save'>
        <button type='button' className='btn btn-primary' id='saveSetting' onClick={() => void save()} disabled={saving}>{saving ? 'Saving Config...' : 'Save'}</button>
      </div>
    </div>
  );
}

/** Called once the plugin's bundle has run: Mattermost initializes a plugin after loading it. */
export function start(): void {
  const plugin = window.harness.registeredId ? window.plugins[window.harness.registeredId] : undefined;
  plugin?.initialize(registry, {});
  void Promise.all([api('GET', '/api/v4/config'), api('GET', '/api/v4/license/client?format=old')]).then(([saved, license]) => {
    window.harness.config = saved;
    window.ReactDOM.createRoot(document.getElementById('root')!).render(<Console saved={saved} license={license}/>);
  });
}
(window as unknown as { startHarness: typeof start }).startHarness = start;
