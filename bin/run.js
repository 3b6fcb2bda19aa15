#!/usr/bin/env node
// Runs this plugin's commands from its build (lib/), as an installed plugin would.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
