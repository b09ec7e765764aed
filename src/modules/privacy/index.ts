// privacy: PII validation and masking, a pure library low in the house (no database, no HTTP).
export {
  creditCodeCheckChar,
  isValidCreditCode,
  isValidResidentId,
  normalizeCreditCode,
  normalizeResidentId,
  residentIdCheckChar,
} from './identifiers.ts';
export {
  maskAddress,
  maskBankCard,
  maskBirthDate,
  maskCreditCode,
  maskEmail,
  maskIp,
  maskName,
  maskPassport,
  maskPhone,
  maskPlate,
  maskResidentId,
  maskValue,
} from './masking.ts';
export { isValidMobile, PII_TYPES, type PiiType, SENSITIVE_PII } from './pii.ts';
