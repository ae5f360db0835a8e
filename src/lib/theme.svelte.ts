/**
 * Light or dark: the user's choice (kept in localStorage), an embed's `theme=`, or
 * `auto`, which follows the system. Sets `data-theme` on <html>, which the CSS
 * variables in styles/app.css and the chart themes read.
 */

export type ThemePreference = 'light' | 'dark' | 'auto';
export type Theme = 'light' | 'dark';

const KEY = 'workbench.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemePreference {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'auto';
  } catch {
    return 'auto';
  }
}

class ThemeState {
  preference = $state<ThemePreference>(stored());
  system = $state<Theme>(media.matches ? 'dark' : 'light');
  /** The theme in force. */
  current = $derived<Theme>(this.preference === 'auto' ? this.system : this.preference);

  constructor() {
    media.addEventListener('change', (e) => {
      this.system = e.matches ? 'dark' : 'light';
      this.#apply();
    });
    this.#apply();
  }

  /** Sets the theme; `remember` keeps it for the next visit (not for embeds). */
  set(preference: ThemePreference, remember = true): void {
    this.preference = preference;
    if (remember) {
      try {
        if (preference === 'auto') localStorage.removeItem(KEY);
        else localStorage.setItem(KEY, preference);
      } catch {
        // storage may be blocked (e.g. third-party iframes): the choice lasts this visit
      }
    }
    this.#apply();
  }

  #apply(): void {
    document.documentElement.dataset.theme = this.current;
  }
}

export const theme = new ThemeState();
