import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Store } from '../store.js';

export const StoreContext = createContext<Store | null>(null);

/** The store; the component renders again whenever the store changes. */
export function useStore(): Store {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStore outside <StoreContext.Provider>');
  const [, setVersion] = useState(store.version);
  useEffect(() => store.subscribe(() => setVersion(store.version)), [store]);
  return store;
}

/**
 * A file URL of the server opened with the viewer's token (in a header, never in the page), as a
 * local object URL for <img> or a download link.
 */
export function useAuthorizedUrl(url: string | null | undefined, token: string): string | undefined {
  const [local, setLocal] = useState<string>();
  useEffect(() => {
    if (!url) return;
    let objectUrl: string | undefined;
    let cancelled = false;
    fetch(url, { headers: { authorization: `Bearer ${token}` } })
      .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(String(response.status)))))
      .then((blob) => {
        if (cancelled) return;
        objectUrl = URL.createObjectURL(blob);
        setLocal(objectUrl);
      })
      .catch(() => setLocal(undefined));
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, token]);
  return local;
}
