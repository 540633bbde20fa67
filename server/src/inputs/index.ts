/** The inputs beside the webhook route, behind their switches. */
export { INPUT_KINDS, switchedOn, type InputKind, type SwitchSetting } from './input-kinds.js';
export { InputSupervisor, type InputState, type SupervisedInputStatus } from './input-supervisor.js';
