import { builder } from '../builder.js';
import './error.js';
import './user.js';
import './token.js';
import './event.js';
import './account.js';
import './device.js';
import './push.js';
import './roster.js';
import './message.js';
import './group.js';
import './group-member.js';
import './group-joining.js';
import './group-content.js';
import './group-event.js';
import './file.js';
import './app.js';

export const schema = builder.toSchema({ sortSchema: true });
