import { render } from 'preact';
import { App } from './App.tsx';
import { locale } from './lib/i18n.ts';
import { applyTheme, theme } from './lib/theme.ts';
import './styles.css';

document.documentElement.lang = locale.value;
applyTheme(theme.value);
render(<App />, document.getElementById('app')!);
