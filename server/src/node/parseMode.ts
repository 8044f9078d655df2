import { setFastScan } from '../core/model/fastModel';

/**
 * KT_FAST_SCAN=0 in the environment: every document is read by the `yaml` package instead of the
 * fast scanner first (an A/B switch for `npm run bench` and for diagnosing a difference). Read by
 * each entry point: the server, the CLI and the parse workers (which inherit the environment).
 */
export function applyParseModeFromEnv(): void {
  if (process.env.KT_FAST_SCAN === '0') setFastScan(false);
}
