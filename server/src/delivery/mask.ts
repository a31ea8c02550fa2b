/** Shows where a code went without repeating the whole address (b…@example.com, …567). */
export const maskAddress = (to: string) => (to.includes('@') ? `${to.slice(0, 1)}…${to.slice(to.indexOf('@'))}` : `…${to.slice(-3)}`);
