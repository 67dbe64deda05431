// Placeholder: the `evaluate` command is registered here by the module that owns it.
import type { Command } from 'commander';

export function register(_program: Command): void {}
