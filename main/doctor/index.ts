/** The connection doctor's public surface (the CLI's `doctor`, the tray's Test connection, the wizard). */
export { runDoctor, parseDeploymentUrl, DEFAULT_TIMEOUT_MS } from './run-doctor';
export { formatDoctorReport } from './format-report';
export { identifyTlsAlert, tlsAlertByNumber, REFRESH_TRIGGER_ALERTS, type TlsAlert } from './tls-alerts';
export { recogniseGatewayRejection, type GatewayRejection } from './gateway-pages';
export { expandSettingPath } from './checks/editor-settings';
export type { CheckStatus, DoctorCheck, DoctorInput, DoctorReport, EditorSnapshot, HostLookup } from './types';
