'use strict';
// plotly.js with only what IKD Progress draws: scatter (lines, markers, filled outlines) and bar
// traces, with annotations, shapes, legend, hover and the toolbar. Built by `make plotly`.
var Registry = require('plotly.js/src/registry');
var plotApi = require('plotly.js/src/plot_api');

require('plotly.js/build/plotcss');

var Plotly = {version: require('plotly.js/src/version').version, register: Registry.register};
Object.keys(plotApi).forEach(function(name) {
    if(name.charAt(0) !== '_') Plotly[name] = plotApi[name];
    Registry.register({moduleType: 'apiMethod', name: name, fn: plotApi[name]});
});
Registry.register([
    require('plotly.js/src/traces/scatter'),
    require('plotly.js/src/traces/bar'),
    require('plotly.js/src/components/annotations'),
    require('plotly.js/src/components/shapes'),
    require('plotly.js/src/components/legend'),
    require('plotly.js/src/components/fx'),
    require('plotly.js/src/components/modebar'),
    require('plotly.js/src/locale-en'),
    require('plotly.js/src/locale-en-us')
]);
module.exports = Plotly;
