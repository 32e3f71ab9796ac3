import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

// The conventions of docs/schema.md that a program can check. Each check answers its
// violations, one line each, so a failing test names them all.

/** Connections without totalCount, each saying why in its description. */
export const WITHOUT_TOTAL = new Set(['MessageConnection']);

const ownTypes = (schema: GraphQLSchema) =>
  Object.values(schema.getTypeMap()).filter((type) => !type.name.startsWith('__') && !isSpecifiedScalarType(type));

/** Every schema coordinate (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`) without a description. */
export function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of ownTypes(schema)) {
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

/** Mutations that do not answer `<Action>Result = <Action>Payload | typed errors`, and payloads with a `data` field. */
export function mutationShapes(schema: GraphQLSchema): string[] {
  const types = ownTypes(schema);
  const errorTypes = new Set(types.filter((t) => isObjectType(t) && t.getInterfaces().some((i) => i.name === 'Error')).map((t) => t.name));
  const wrong: string[] = [];
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const action = `${field.name[0]!.toUpperCase()}${field.name.slice(1)}`;
    const type = getNullableType(field.type);
    if (!isUnionType(type) || type.name !== `${action}Result`) {
      wrong.push(`${field.name}: answers ${String(field.type)}, not ${action}Result`);
      continue;
    }
    const members = type.getTypes().map((t) => t.name);
    const payloads = members.filter((name) => !errorTypes.has(name));
    if (payloads.length !== 1 || payloads[0] !== `${action}Payload`) wrong.push(`${field.name}: ${type.name} = ${members.join(' | ')}`);
    if (members.length < 2) wrong.push(`${field.name}: ${type.name} lists no typed error`);
  }
  for (const type of types) {
    if (isObjectType(type) && type.name.endsWith('Payload') && 'data' in type.getFields()) wrong.push(`${type.name}.data`);
  }
  return wrong;
}

/** Names Pothos generates when a type is not named by hand. */
export function generatedNames(schema: GraphQLSchema): string[] {
  return ownTypes(schema)
    .map((t) => t.name)
    .filter((name) => /^(Query|Mutation|Subscription)./.test(name) || /Success$/.test(name));
}

/** Connections not named `<Node>Connection` of `<Node>Edge`, or without `totalCount`. */
export function connectionShapes(schema: GraphQLSchema): string[] {
  const wrong: string[] = [];
  for (const type of ownTypes(schema)) {
    if (!isObjectType(type) || !type.name.endsWith('Connection')) continue;
    const edges = type.getFields()['edges'];
    const edge = edges && getNamedType(edges.type);
    const node = edge && isObjectType(edge) ? edge.getFields()['node'] : undefined;
    if (!edge || !node) {
      wrong.push(`${type.name}: not a connection`);
      continue;
    }
    const nodeName = getNamedType(node.type).name;
    if (type.name !== `${nodeName}Connection`) wrong.push(`${type.name}: lists ${nodeName}, so ${nodeName}Connection`);
    if (edge.name !== `${nodeName}Edge`) wrong.push(`${edge.name}: edges of ${nodeName} are ${nodeName}Edge`);
    if (!('totalCount' in type.getFields()) && !WITHOUT_TOTAL.has(type.name)) wrong.push(`${type.name}: no totalCount`);
  }
  return wrong;
}

/** Structured values not typed `JSON`, and ids not typed `ID`, on fields, arguments and input fields. */
export function scalarMisuses(schema: GraphQLSchema): string[] {
  const wrong: string[] = [];
  const inspect = (coordinate: string, name: string, type: GraphQLNamedType) => {
    if (['ext', 'config', 'attachment'].includes(name) && type.name !== 'JSON') wrong.push(`${coordinate}: ${type.name}, not JSON`);
    if (/^(id|.+Id|.+Ids)$/.test(name) && type.name !== 'ID') wrong.push(`${coordinate}: ${type.name}, not ID`);
  };
  for (const type of ownTypes(schema)) {
    if (isObjectType(type) || isInterfaceType(type)) {
      // A root field's name is an operation (`bindOpenId` binds one), not a value it carries.
      const root = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].includes(type as never);
      for (const field of Object.values(type.getFields())) {
        if (!root) inspect(`${type.name}.${field.name}`, field.name, getNamedType(field.type));
        for (const arg of field.args) inspect(`${type.name}.${field.name}(${arg.name}:)`, arg.name, getNamedType(arg.type));
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) inspect(`${type.name}.${field.name}`, field.name, getNamedType(field.type));
    }
  }
  return wrong;
}
