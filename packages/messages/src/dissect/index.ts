export {
  type DecryptedContent,
  type Direction,
  type DissectEvent,
  type Location,
  type RecordDecryptor,
  type RecordDecryptorInfo,
  TLSDissector,
} from './dissector.js';
export { type KeyLogEntry, parseKeyLog } from './keylog.js';
export { describeEnum, type TreeNode, toHex, toJson, treeLines, treeNodes } from './render.js';
export {
  describeError,
  dissect,
  dissectCapture,
  dissectStream,
  formatTranscript,
  hasErrors,
  messageName,
  type Transcript,
  transcriptToJson,
} from './transcript.js';
