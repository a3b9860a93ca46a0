import { expectAssignable, expectError, expectType } from 'tsd';
import { FearlessError, PlatformError, type FearlessErrorCode, type PlatformErrorCode } from 'fearless';

// A PlatformError is a FearlessError; its code is one of the two platform codes, and both are
// FearlessErrorCodes (a switch over error.code sees them).
const error = new PlatformError('FEARLESS_NOT_ISOLATED', 'serve the page with the two headers');
expectAssignable<FearlessError>(error);
expectType<PlatformErrorCode>(error.code);
expectType<'FEARLESS_NOT_ISOLATED' | 'FEARLESS_CANNOT_BLOCK'>(error.code);
expectAssignable<FearlessErrorCode>(error.code);
// Any other code is refused, and the message is required.
expectError(new PlatformError('FEARLESS_SEND', 'not a platform code'));
expectError(new PlatformError('FEARLESS_CANNOT_BLOCK'));
