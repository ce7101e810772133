export { Bytes, PrefixedBytes, Remaining } from './bytes.js';
export {
  type AnyCodec,
  BaseCodec,
  type Codec,
  type CodecImpl,
  defineCodec,
  type Infer,
  withPath,
} from './codec.js';
export { Const, ConstCodec } from './const.js';
export {
  type Choices,
  EnumClass,
  EnumCodec,
  type EnumObject,
  type EnumOptions,
  EnumSwitch,
  EnumSwitchCodec,
  type EnumValue,
  type SwitchValue,
} from './enum.js';
export {
  DecodeError,
  EncodeError,
  IncompleteDataError,
  type PathSegment,
  WireError,
  type WireErrorOptions,
} from './errors.js';
export { UBInt8, UBInt16, UBInt24, UBInt32, type UIntCodec } from './int.js';
export { type Bounds, LengthPrefix } from './length.js';
export { Mapped } from './mapped.js';
export { Optional, OptionalCodec } from './optional.js';
export { Opaque, TLSPrefixedArray } from './prefixed.js';
export { Reader } from './reader.js';
export { type Fields, Struct, StructCodec, type StructValue } from './struct.js';
export { Writer } from './writer.js';
