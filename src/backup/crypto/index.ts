/** Cryptography of encrypted iTunes/Finder backups: keybag, password key, class keys, Manifest.db and file encryption. */
export { aesKeyUnwrap, aesKeyWrap } from './aesKeyWrap';
export { AES_BLOCK_BYTES, DATA_KEY_BYTES } from './cbcZeroIv';
export {
  ClassKeyMissingError,
  EncryptedDataCorruptError,
  KeyUnwrapIntegrityError,
  KeybagCorruptError,
  WrongPasswordError,
  isClassKeyMissingError,
  isEncryptedDataCorruptError,
  isKeyUnwrapIntegrityError,
  isKeybagCorruptError,
  isWrongPasswordError,
} from './cryptoErrors';
export {
  createFileDecryptStream,
  createFileEncryptStream,
  createFileKey,
  decryptFileData,
  encryptFileData,
  unwrapFileKey,
  wrapFileKey,
  type FileCryptoOptions,
  type NewFileKey,
} from './fileCrypto';
export {
  BACKUP_PROTECTION_CLASSES,
  CLASS_KEY_BYTES,
  WRAPPED_CLASS_KEY_BYTES,
  createKeybag,
  isPasswordWrappedClassKey,
  passwordWrappedClassKeys,
  unlockKeybag,
  unlockKeybagWithPassword,
  type ClassKeys,
  type CreateKeybagOptions,
  type CreatedKeybag,
} from './keybag';
export {
  KEYBAG_KEY_TYPE_AES,
  KEYBAG_KEY_TYPE_CURVE25519,
  KEYBAG_MAX_SHA1_ITERATIONS,
  KEYBAG_MAX_SHA256_ITERATIONS,
  KEYBAG_WRAP_DEVICE,
  KEYBAG_WRAP_PASSCODE,
  buildKeybag,
  parseKeybag,
  readKeybagRecords,
  writeKeybagRecords,
  type BackupKeybag,
  type KeybagClassKey,
  type KeybagHeader,
  type KeybagRecord,
} from './keybagTlv';
export {
  DEFAULT_MANIFEST_PROTECTION_CLASS,
  createManifestKey,
  decryptManifestDb,
  encryptManifestDb,
  unwrapManifestKey,
  type NewManifestKey,
} from './manifestKey';
export { checkBackupPassword } from './passwordCheck';
export {
  DEFAULT_SHA1_ITERATIONS,
  DEFAULT_SHA256_ITERATIONS,
  PASSWORD_KEY_BYTES,
  PBKDF2_WORKER_FILE_NAME,
  deriveKeyInWorker,
  findPbkdf2WorkerFile,
  passwordKeyParams,
  type DeriveKeyOptions,
  type PasswordKeyParams,
  type Pbkdf2Stage,
} from './passwordKey';
export {
  PROTECTION_CLASS_PREFIX_BYTES,
  WRAPPED_DATA_KEY_BYTES,
  WRAPPED_KEY_BLOB_BYTES,
  buildWrappedKeyBlob,
  parseWrappedKeyBlob,
  unwrapKeyBlob,
  wrapKeyBlob,
  type WrappedKeyBlob,
} from './wrappedKeyBlob';
