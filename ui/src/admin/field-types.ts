/** The field types an administrator can add (computed fields need an expression: edit them as JSON). */
export const FIELD_TYPES_UI = ['text', 'longtext', 'number', 'integer', 'money', 'boolean', 'date', 'datetime', 'enum', 'multienum', 'email', 'phone', 'url', 'reference', 'references'] as const;
