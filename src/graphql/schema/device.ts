import {
  bindPushToken,
  kickDevices,
  listDevices,
  removeDevice,
  unbindPushToken,
  type Device,
} from '../../domain/accounts/devices.js';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { requireUser } from '../../domain/viewer.js';
import { builder } from '../builder.js';
import { forwardConnection } from '../pagination.js';

const DeviceRef = builder.objectRef<Device>('Device').implement({
  description: "A client installation of the viewer, created by the first login with its device id.",
  fields: (t) => ({
    deviceSn: t.exposeInt('deviceSn', { description: 'Small per-user device number.' }),
    platform: t.exposeInt('platform', { description: '0 unknown, 1 iOS, 2 Android, 3 Windows, 4 macOS, 5 Linux, 6 web.' }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    pushToken: t.exposeString('pushToken', { nullable: true }),
    notifierName: t.exposeString('notifierName', { nullable: true, description: 'Push provider of the push token.' }),
    current: t.boolean({
      description: 'Whether this is the device of the token in use.',
      resolve: (device, _args, { viewer }) => viewer.kind === 'user' && viewer.deviceId === device.id,
    }),
    createdAt: t.expose('createdAt', { type: 'Timestamp' }),
    lastLoginAt: t.expose('lastLoginAt', { type: 'Timestamp' }),
  }),
});

builder.queryField('devices', (t) =>
  t.connection({
    type: DeviceRef,
    description: "The viewer's devices, by device number.",
    authScopes: { user: true },
    resolve: (_root, args, { deps, viewer }) => {
      requireUser(viewer);
      return forwardConnection(
        args,
        (after, limit) => listDevices(deps, viewer, { after: after === undefined ? undefined : Number(after), limit }),
        (device) => String(device.deviceSn),
      );
    },
  }),
);

builder.mutationFields((t) => ({
  removeDevice: t.boolean({
    description: 'Forgets a device of the viewer: its tokens stop working and its connections close.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { deviceSn: t.arg.int({ required: true }) },
    resolve: (_root, { deviceSn }, { deps, viewer }) => removeDevice(deps, viewer, deviceSn),
  }),
  kickDevices: t.int({
    description:
      "Signs a device of the viewer out, or without deviceSn every session but the one asking. Their connections close. Answers how many sessions ended.",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { deviceSn: t.arg.int() },
    resolve: (_root, { deviceSn }, { deps, viewer }) => kickDevices(deps, viewer, deviceSn ?? undefined),
  }),
  bindPushToken: t.field({
    type: DeviceRef,
    description: "Binds a push provider's token to a device of the viewer (and takes it from any other device).",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: {
      deviceSn: t.arg.int({ required: true }),
      deviceToken: t.arg.string({ required: true }),
      notifierName: t.arg.string(),
    },
    resolve: (_root, args, { deps, viewer }) =>
      bindPushToken(deps, viewer, { ...args, notifierName: args.notifierName ?? undefined }),
  }),
  unbindPushToken: t.boolean({
    description: 'Removes the push token of a device of the viewer.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError], directResult: false },
    args: { deviceSn: t.arg.int({ required: true }) },
    resolve: (_root, { deviceSn }, { deps, viewer }) => unbindPushToken(deps, viewer, deviceSn),
  }),
}));
