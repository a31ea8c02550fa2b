// Entry of the console bundle (console.js). The shell and the sign-in load at once; every page
// and the enrolment page are separate chunks loaded when first shown.
import './vf-console-app.js';

if (document.querySelector('vf-enrol')) void import('./vf-enrol.js');
