import { printSchema } from 'graphql';
import { schema } from '../graphql/schema/index.js';

process.stdout.write(`${printSchema(schema)}\n`);
