import { Box, Text } from 'ink';

/** Rendered chart rows, one `<Text>` each, cut at the pane's edge rather than wrapped into blank lines. */
export function Rows({ rows }: { rows: readonly string[] }) {
  return (
    <Box flexDirection="column">
      {rows.map((row, index) => (
        <Text key={index} wrap="truncate-end">
          {row}
        </Text>
      ))}
    </Box>
  );
}
