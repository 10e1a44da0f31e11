import type { GraphQLFormattedError } from 'graphql';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** graphql-js's hints name fields, arguments, types and enum values a client did not ask about. */
const SUGGESTION = / ?Did you mean .+?\?/g;

/**
 * In production the schema is not for browsing (no introspection), so no error may spell it out either.
 * Apollo's `hideSchemaDetailsFromClientErrors` strips "Did you mean ...?" from validation errors only;
 * variable coercion ("Value "TSHIRTS" does not exist in "ProductKind" enum. Did you mean the enum value
 * "TSHIRT"?") and input-object field errors carry the same hints, so every message goes through here.
 */
export function withoutSchemaSuggestions(formatError: FormatError): FormatError {
  return (formatted, error) => {
    const result = formatError(formatted, error);
    return { ...result, message: result.message.replace(SUGGESTION, '') };
  };
}
