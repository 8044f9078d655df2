#!/usr/bin/env node
import { applyParseModeFromEnv } from '../node/parseMode';
import { main } from './cli';

applyParseModeFromEnv();
main();
