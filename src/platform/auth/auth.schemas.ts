import { Type } from 'typebox';
import { LOCALES } from '../i18n/i18n.ts';
import { SingleLine } from '../http/input.ts';

const email = Type.String({ format: 'email', maxLength: 254 });
const password = Type.String({ minLength: 10, maxLength: 200 });
const fullName = Type.String({ minLength: 2, maxLength: 120 });

export const RegisterSchema = Type.Object({ fullName, email, password });
export const SignInSchema = Type.Object({ email, password: Type.String({ minLength: 1, maxLength: 200 }), next: Type.Optional(SingleLine(500)) });
export const ResetRequestSchema = Type.Object({ email });
export const ResetSchema = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), password });
export const ProfileSchema = Type.Object({ fullName, locale: Type.Enum([...LOCALES]) });
export const PasswordChangeSchema = Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 200 }), newPassword: password });
export const DeleteAccountSchema = Type.Object({ confirmEmail: Type.String({ minLength: 1, maxLength: 254 }) });
