import { Box, Text } from 'ink';
import type { Theme } from '../theme.js';

export interface BannerProps {
  width: number;
  theme: Theme;
  message: string;
}

/** A failure the user must see: the helper died or could not start. */
export function Banner({ width, theme, message }: BannerProps) {
  return (
    <Box width={width} borderStyle="single" borderColor={theme.error} paddingX={1}>
      <Text color={theme.error} wrap="wrap">
        {message}
      </Text>
    </Box>
  );
}
