// Flags renamed when the CLI came to be built from the configuration schemas (a flag is its field's key in
// kebab-case): the old names still work, as hidden options.

/** Current flag → its old names. */
const OLD_NAMES: Readonly<Record<string, readonly string[]>> = {
  "--train-limit": ["--limit-train"],
  "--test-limit": ["--limit-test"],
  "--init-current-std": ["--init-std"],
  "--forward-start": ["--forward-reset"],
  "--backward-start": ["--backward-reset"],
};

/** The old names of a flag. */
export const oldNamesOf = (flag: string): readonly string[] => OLD_NAMES[flag] ?? [];
