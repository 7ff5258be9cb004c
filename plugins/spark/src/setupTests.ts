import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Material tables render slowly in jsdom on a loaded machine; findBy* waits up to this long.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
