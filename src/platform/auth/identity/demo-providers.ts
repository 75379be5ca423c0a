// Every dialect's demo providers, started by `npm run demo` (never by `npm start`): each import registers its own.
import './id-gov-ua.demo.ts';
import './saml.demo.ts';
