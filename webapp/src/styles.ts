/**
 * The panel's CSS, built on the variables Mattermost's theme sets on the page (applyTheme:
 * --center-channel-bg, --center-channel-color(-rgb), --online-indicator(-rgb), --away-indicator,
 * --error-text, --button-bg, …), so it follows light and dark themes with no colour of its own.
 * The fallbacks are Mattermost's default (Denim) theme, for a page that sets none.
 */
const CSS = `
.mae-panel { color: var(--center-channel-color, #3f4350); font-size: 14px; line-height: 20px; max-width: 760px; }
.mae-state { display: flex; gap: 10px; align-items: flex-start; padding: 12px 14px; border-radius: 8px;
  border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16);
  background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.04); }
.mae-state--ok { border-color: rgba(var(--online-indicator-rgb, 61, 184, 135), 0.48); background: rgba(var(--online-indicator-rgb, 61, 184, 135), 0.08); }
.mae-state--warn { border-color: rgba(var(--away-indicator-rgb, 255, 188, 31), 0.64); background: rgba(var(--away-indicator-rgb, 255, 188, 31), 0.10); }
.mae-state--error { border-color: rgba(var(--error-text-color-rgb, 210, 75, 78), 0.56); background: rgba(var(--error-text-color-rgb, 210, 75, 78), 0.08); }
.mae-dot { flex: none; width: 12px; height: 12px; margin-top: 4px; border-radius: 50%; background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.32); }
.mae-state--ok .mae-dot { background: var(--online-indicator, #3db887); }
.mae-state--warn .mae-dot { background: var(--away-indicator, #ffbc1f); }
.mae-state--error .mae-dot { background: var(--error-text, #d24b4e); }
.mae-state__title { font-weight: 600; }
.mae-state__detail, .mae-muted { color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72); font-size: 12px; }
.mae-state__detail { overflow-wrap: anywhere; }
.mae-tiles { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 8px; margin-top: 12px; }
@media (max-width: 900px) { .mae-tiles { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
.mae-tiles--stale { opacity: 0.55; }
.mae-tile { padding: 10px 12px; border-radius: 8px; border: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16);
  background: var(--center-channel-bg, #ffffff); min-width: 0; }
.mae-tile--wide { grid-column: span 2; grid-row: span 2; display: flex; flex-direction: column; }
.mae-tile__label { color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72); font-size: 12px; font-weight: 600; }
.mae-tile__value { font-size: 22px; line-height: 30px; font-weight: 600; font-variant-numeric: tabular-nums; }
.mae-tile__value--alert { color: var(--error-text, #d24b4e); }
.mae-tile .btn { margin-top: 6px; }
.mae-sparkline { display: block; width: 100%; height: 64px; margin: 6px 0 4px; flex: 1 1 auto; min-height: 48px; }
.mae-sparkline__base { stroke: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.16); stroke-width: 1; vector-effect: non-scaling-stroke; }
.mae-sparkline__line { fill: none; stroke: var(--button-bg, #1c58d9); stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; vector-effect: non-scaling-stroke; }
.mae-sparkline__area { fill: rgba(var(--button-bg-rgb, 28, 88, 217), 0.16); stroke: none; }
.mae-section-title { margin: 16px 0 6px; font-weight: 600; }
.mae-table { width: 100%; border-collapse: collapse; font-size: 13px; }
.mae-table th { text-align: left; font-weight: 600; color: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.72); }
.mae-table th, .mae-table td { padding: 6px 8px; border-bottom: 1px solid rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.12); vertical-align: top; }
.mae-table td.mae-num { text-align: right; font-variant-numeric: tabular-nums; }
.mae-error-text { color: var(--error-text, #d24b4e); overflow-wrap: anywhere; }
.mae-ok-text { font-weight: 600; }
.mae-ok-text::before { content: ''; display: inline-block; width: 8px; height: 8px; margin-right: 6px; border-radius: 50%; background: var(--online-indicator, #3db887); }
.mae-small { font-size: 12px; font-weight: 400; }
.mae-ok-mark { color: var(--online-indicator, #3db887); font-weight: 700; }
.mae-error-mark { color: var(--error-text, #d24b4e); font-weight: 700; }
.mae-note { margin-top: 12px; padding: 8px 12px; border-radius: 4px; font-size: 13px; background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.06); overflow-wrap: anywhere; }
.mae-note--error { background: rgba(var(--error-text-color-rgb, 210, 75, 78), 0.08); color: var(--error-text, #d24b4e); }
.mae-note--ok { background: rgba(var(--online-indicator-rgb, 61, 184, 135), 0.10); }
.mae-test { display: flex; flex-direction: column; gap: 8px; align-items: flex-start; }
.mae-test .btn { display: inline-flex; align-items: center; gap: 6px; }
.mae-spinner { width: 12px; height: 12px; border-radius: 50%; border: 2px solid currentColor; border-right-color: transparent;
  animation: mae-spin 0.8s linear infinite; display: inline-block; }
.mae-wiring { display: flex; flex-direction: column; gap: 10px; align-items: flex-start; max-width: 760px; }
.mae-wiring__fields { display: grid; grid-template-columns: max-content minmax(0, 360px); gap: 6px 12px; align-items: center; width: 100%; }
.mae-wiring__fields label { font-size: 13px; font-weight: 600; }
.mae-wiring__port { max-width: 120px; }
.mae-wiring__tls { grid-column: 2; font-weight: 400 !important; }
.mae-wiring .btn { display: inline-flex; align-items: center; gap: 6px; }
.mae-wiring-manual { display: flex; flex-direction: column; gap: 6px; }
.mae-wiring-manual .mae-section-title { margin: 8px 0 0; font-size: 13px; }
.mae-code { margin: 0; padding: 8px 10px; max-width: 760px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; line-height: 16px;
  border-radius: 4px; background: rgba(var(--center-channel-color-rgb, 63, 67, 80), 0.06); color: var(--center-channel-color, #3f4350); }
@keyframes mae-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .mae-spinner { animation: none; } }
`;

const STYLE_ID = 'mattermost-audit-elastic-styles';

/** Adds the stylesheet once per page, however many components mount. */
export function ensureStyles(doc: Document = document): void {
  if (doc.getElementById(STYLE_ID)) return;
  const style = doc.createElement('style');
  style.id = STYLE_ID;
  style.textContent = CSS;
  doc.head.appendChild(style);
}
