// One line of the latest state changes, newest first: "12:03:04 dev ● running · …".
import { Text } from 'ink';
import { tickerText } from '../../format/event.js';
import type { StateChangedParams } from '../../rpc/protocol.js';
import type { Theme } from '../theme.js';

export interface EventTickerProps {
  width: number;
  theme: Theme;
  events: readonly StateChangedParams[];
}

export function EventTicker({ width, theme, events }: EventTickerProps) {
  return <Text color={theme.muted}>{tickerText(events, width)}</Text>;
}
