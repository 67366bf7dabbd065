// ESLint 9 flat config. `npm run lint` runs `eslint .`.
// typescript-eslint's plain "recommended" set (not the type-checked one) keeps a run fast.
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: ["build/", "public/build/", "app/generated/", "node_modules/", ".data/", ".cache/", "coverage/", "test-results/"],
  },
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: { ...globals.browser, ...globals.node },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (e.g. express's `(_req, res)`).
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    // React code: the UI, e-mail templates and any component used in tests.
    files: ["app/**/*.{ts,tsx}", "emails/**/*.{ts,tsx}", "tests/**/*.tsx"],
    ...reactHooks.configs.flat.recommended,
  },
);
