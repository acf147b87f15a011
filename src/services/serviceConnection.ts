// The connection type lives with the transport (lockdown needs it too); services import it from here as well.
export { DEFAULT_MAX_FRAME, ServiceConnection } from '../transport/serviceConnection';
