/**
 * The API types the client uses, by name: each one points into the types generated from
 * the apps' OpenAPI documents (generated/<app>.ts, written by `npm run api-types`), so a
 * field added to an app's openapi.yaml reaches the client when they are generated again.
 * Nothing here spells out a field.
 */
import type { components as Messages, operations as MessageOperations } from './generated/messages';
import type { components as Push } from './generated/push';
import type { components as Tokens } from './generated/tokens';
import type { components as Users } from './generated/users';

export type Message = Messages['schemas']['Message'];
/** Who wrote a message; user.online and user.offline events carry the same. */
export type Author = Message['author'];
/** A page of GET /api/messages. */
export type MessagePage = MessageOperations['listMessages']['responses'][200]['content']['application/json'];
/** The body of POST /api/messages. */
export type NewMessage = MessageOperations['postMessage']['requestBody']['content']['application/json'];
/** The answer to POST /api/tokens. */
export type IssuedToken = Tokens['schemas']['IssuedToken'];
/** The body of POST /api/users, and its answer. */
export type Registration = Users['schemas']['Registration'];
export type User = Users['schemas']['User'];
/** The JSON error body every app answers with. */
export type ErrorBody = Messages['schemas']['Error'] | Push['schemas']['Error'] | Tokens['schemas']['Error'] | Users['schemas']['Error'];
