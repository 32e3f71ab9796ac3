import {
  bindPushToken,
  countDevices,
  kickDevices,
  listDevices,
  removeDevice,
  unbindPushToken,
  type Device,
} from '../../domain/accounts/devices.js';
import { InvalidInputError, NotFoundError } from '../../domain/errors.js';
import { requireUser } from '../../domain/viewer.js';
import { builder } from '../builder.js';
import { PlatformEnum } from '../enums.js';
import { connectionOf, counted, forwardConnection } from '../pagination.js';

const DeviceRef = builder.objectRef<Device>('Device').implement({
  description: 'A client installation of the viewer, created by the first login with its device id.',
  fields: (t) => ({
    deviceSn: t.exposeInt('deviceSn', { description: 'Small per-user device number, from 1.' }),
    platform: t.field({ type: PlatformEnum, description: 'The platform the device said it runs.', resolve: (d) => d.platform as 0 }),
    userAgent: t.exposeString('userAgent', { nullable: true, description: 'The user agent of its last login; null when unknown.' }),
    pushToken: t.exposeString('pushToken', { nullable: true, description: "The push provider's token of the device; null when none is bound." }),
    notifierName: t.exposeString('notifierName', { nullable: true, description: 'Push provider of the push token; null when none was named.' }),
    current: t.boolean({
      description: 'Whether this is the device of the token in use.',
      resolve: (device, _args, { viewer }) => viewer.kind === 'user' && viewer.deviceId === device.id,
    }),
    createdAt: t.expose('createdAt', { type: 'Timestamp', description: 'When the device first logged in.' }),
    lastLoginAt: t.expose('lastLoginAt', { type: 'Timestamp', description: 'When the device last logged in.' }),
  }),
});

const DeviceConnection = connectionOf(DeviceRef, { name: 'Device', description: "A page of the viewer's devices." });

const DevicePayload = (name: string, description: string) =>
  builder.objectRef<Device>(name).implement({
    description,
    fields: (t) => ({ device: t.field({ type: DeviceRef, description: 'The device as it is now.', resolve: (d) => d }) }),
  });

const RemoveDevicePayload = builder.objectRef<{ deviceSn: number }>('RemoveDevicePayload').implement({
  description: 'The device is forgotten.',
  fields: (t) => ({ deviceSn: t.exposeInt('deviceSn', { description: 'The number of the device removed.' }) }),
});

const KickDevicesPayload = builder.objectRef<{ count: number }>('KickDevicesPayload').implement({
  description: 'Sessions ended.',
  fields: (t) => ({ endedSessionCount: t.exposeInt('count', { description: 'How many sessions ended (0 when none were open).' }) }),
});

const DEVICE_SN = 'The number of one of the viewer’s devices (`Device.deviceSn`).';

builder.queryField('devices', (t) =>
  t.connection(
    {
      type: DeviceRef,
      description: "The viewer's devices, by device number.",
      authScopes: { user: true },
      resolve: async (_root, args, { deps, viewer }) => {
        requireUser(viewer);
        const page = await forwardConnection(
          args,
          (after, limit) => listDevices(deps, viewer, { after: after === undefined ? undefined : Number(after), limit }),
          (device) => String(device.deviceSn),
        );
        return counted(page, () => countDevices(deps, viewer));
      },
    },
    DeviceConnection,
  ),
);

builder.mutationFields((t) => ({
  removeDevice: t.field({
    type: RemoveDevicePayload,
    description: 'Forgets a device of the viewer: its tokens stop working and its connections close.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { deviceSn: t.arg.int({ required: true, description: DEVICE_SN }) },
    resolve: async (_root, { deviceSn }, { deps, viewer }) => {
      await removeDevice(deps, viewer, deviceSn);
      return { deviceSn };
    },
  }),
  kickDevices: t.field({
    type: KickDevicesPayload,
    description: 'Signs a device of the viewer out, or without deviceSn every session but the one asking. Their connections close.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { deviceSn: t.arg.int({ description: `${DEVICE_SN} Absent: every other session of the viewer.` }) },
    resolve: async (_root, { deviceSn }, { deps, viewer }) => ({ count: await kickDevices(deps, viewer, deviceSn ?? undefined) }),
  }),
  bindPushToken: t.field({
    type: DevicePayload('BindPushTokenPayload', 'The push token is bound to the device.'),
    description: "Binds a push provider's token to a device of the viewer (and takes it from any other device).",
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: {
      deviceSn: t.arg.int({ required: true, description: DEVICE_SN }),
      deviceToken: t.arg.string({ required: true, description: "The push provider's token, up to 512 characters." }),
      notifierName: t.arg.string({ description: 'The push provider, up to 64 characters.' }),
    },
    resolve: (_root, args, { deps, viewer }) => bindPushToken(deps, viewer, { ...args, notifierName: args.notifierName ?? undefined }),
  }),
  unbindPushToken: t.field({
    type: DevicePayload('UnbindPushTokenPayload', 'The device has no push token any more.'),
    description: 'Removes the push token of a device of the viewer.',
    authScopes: { user: true },
    errors: { types: [InvalidInputError, NotFoundError] },
    args: { deviceSn: t.arg.int({ required: true, description: DEVICE_SN }) },
    resolve: (_root, { deviceSn }, { deps, viewer }) => unbindPushToken(deps, viewer, deviceSn),
  }),
}));
